// Live forum days: follows each day shown on the page over the WebSocket (channel forum-day:{id})
// (live.js) and updates its state and counters. The page is complete without it.

const cards = new Map([...document.querySelectorAll('[data-forum-day]')].map((el) => [el.dataset.forumDay, el]))
const BADGE = { open: 'bg-success', upcoming: 'bg-primary', closed: 'bg-secondary', cancelled: 'bg-danger' }
const number = new Intl.NumberFormat('it-IT')

function setState(card, state) {
  const badge = card.querySelector('[data-live="state"]')
  // The Italian words come with the page (data-text-*), from the message catalogue.
  const text = badge?.dataset[`text${state[0].toUpperCase()}${state.slice(1)}`]
  if (!text) return
  card.dataset.state = state
  badge.textContent = text
  badge.className = `badge ${BADGE[state]}`
}

function apply(event) {
  const card = cards.get(event.payload?.forumDayId)
  if (!card) return
  if (event.event === 'forum_day.counters') {
    for (const key of ['questions', 'answered', 'open']) {
      const cell = card.querySelector(`[data-live="${key}"]`)
      if (cell && typeof event.payload[key] === 'number') cell.textContent = number.format(event.payload[key])
    }
  } else if (event.event === 'forum_day.opened') {
    setState(card, 'open')
  } else if (event.event === 'forum_day.closed') {
    setState(card, 'closed')
  } else if (event.event === 'forum_day.changed' && event.payload.state) {
    setState(card, event.payload.state)
  }
}

globalThis.ftLive.follow({ channels: [...cards.keys()].map((id) => `forum-day:${id}`), onEvent: apply, id: 'days' })
