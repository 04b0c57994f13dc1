import { deleteForumDayEvents } from '../events/event-log.js'
import type { DayQuestions } from '../forum-days/ports.js'
import * as repo from './repository.js'

/**
 * What the forum days module reads and removes of a day's questions (its `DayQuestions` port),
 * so the questions' tables are read and written here only. It needs no service: app.ts hands it
 * to the forum days service, which the questions service is then built on.
 */
export const forumDayQuestions: DayQuestions = {
  countsByDay: (db, dayIds) => repo.countsByDay(db, dayIds),
  async wipeDay(trx, dayId) {
    const questionsDeleted = await repo.deleteDayQuestions(trx, dayId)
    const eventsDeleted = await deleteForumDayEvents(trx, dayId, 'question.')
    return { questionsDeleted, eventsDeleted }
  },
}
