// The experts' queue, live: follows the `queue` channel (live.js) and keeps the page true without
// reloading. A new question matching the filters appears at the bottom (oldest first); one a
// colleague claims leaves the waiting list and shows as "sta rispondendo" with their name; one
// that comes back (released, lease expired) returns; one that is answered, closed or withdrawn
// goes. When the comune replies to the viewer's clarification, the question goes on top of their
// desk with a notice. Every word comes from the page (data-text-*). The page works without this.

const root = document.querySelector('[data-expert-queue]')

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_m, key) => values[key] ?? '')
}

function matchesFilter(payload) {
  const { filterDay, filterTheme } = root.dataset
  return (!filterDay || payload.forumDayId === filterDay) && (!filterTheme || payload.theme === filterTheme)
}

function refreshEmpty() {
  const rows = root.querySelectorAll('[data-queue] [data-queue-item]').length
  root.querySelector('[data-queue-empty]').hidden = rows > 0
  root.querySelector('[data-queue-table]').hidden = rows === 0
  const working = root.querySelectorAll('[data-working] [data-working-item]').length
  root.querySelector('[data-working-empty]').hidden = working > 0
  const desk = root.querySelector('[data-desk-empty]')
  if (desk) desk.hidden = root.querySelectorAll('[data-desk] [data-desk-item]').length > 0
}

function addWaiting(payload) {
  const id = payload.questionId
  if (root.querySelector(`[data-queue] [data-queue-item="${id}"]`) || !matchesFilter(payload)) return
  const row = root.querySelector('template[data-row-template]').content.querySelector('tr').cloneNode(true)
  const day = root.querySelector(`#giornata option[value="${payload.forumDayId}"]`)
  const theme = root.querySelector('template[data-theme-labels]').content.querySelector(`[data-code="${CSS.escape(payload.theme)}"]`)
  row.dataset.queueItem = id
  row.dataset.forumDayId = payload.forumDayId
  row.dataset.theme = payload.theme
  row.querySelector('[data-waiting-since]').dataset.waitingSince = payload.at
  const link = row.querySelector('[data-field="title"]')
  link.href = `/coda/domande/${id}`
  link.textContent = payload.title
  row.querySelector('[data-field="day"]').textContent = day?.dataset.title ?? ''
  row.querySelector('[data-field="theme"]').textContent = theme?.textContent ?? payload.theme
  row.querySelector('[data-field="deadline"]').textContent = day?.dataset.deadlineText ?? ''
  row.querySelector('form').action = `/coda/domande/${id}/prendi`
  row.querySelector('[data-claim-button]').setAttribute('aria-label', fill(root.dataset.textClaimTitle, { title: payload.title }))
  root.querySelector('[data-queue]').append(row)
}

function showWorking(payload) {
  const id = payload.questionId
  let item = root.querySelector(`[data-working-item="${id}"]`)
  if (!item) {
    item = document.createElement('li')
    item.dataset.workingItem = id
    const link = document.createElement('a')
    link.href = `/coda/domande/${id}`
    link.textContent = payload.title
    const holder = document.createElement('span')
    holder.dataset.field = 'holder'
    item.append(link, ' – ', holder)
    root.querySelector('[data-working]').append(item)
  }
  item.querySelector('[data-field="holder"]').textContent = fill(root.dataset.textIsAnswering, { name: payload.claimedBy?.name ?? '' })
}

function putOnDesk(payload, returned) {
  const id = payload.questionId
  root.querySelector(`[data-desk-item="${id}"]`)?.remove()
  const item = document.createElement('li')
  item.className = `list-group-item${returned ? ' border-start border-4 border-success' : ''}`
  item.dataset.deskItem = id
  const link = document.createElement('a')
  link.href = `/coda/domande/${id}`
  link.textContent = payload.title
  item.append(link)
  const desk = root.querySelector('[data-desk]')
  if (returned) {
    desk.prepend(item)
    const notice = document.createElement('div')
    notice.className = 'alert alert-success'
    const text = document.createElement('p')
    text.className = 'mb-0'
    const open = document.createElement('a')
    open.href = `/coda/domande/${id}`
    open.textContent = payload.title
    text.append(fill(root.dataset.textReplyNotice, { title: payload.title }), ' ', open)
    notice.append(text)
    root.querySelector('[data-live-notices]').append(notice)
  } else {
    desk.append(item)
  }
}

function apply(frame) {
  const payload = frame.payload ?? {}
  const id = payload.questionId
  if (!id || !payload.state) return
  const mine = payload.claimedBy?.id === root.dataset.viewer
  if (payload.state !== 'submitted') root.querySelector(`[data-queue] [data-queue-item="${id}"]`)?.remove()
  if (payload.state !== 'claimed' || mine) root.querySelector(`[data-working-item="${id}"]`)?.remove()
  if (payload.state === 'submitted') {
    root.querySelector(`[data-desk-item="${id}"]`)?.remove()
    addWaiting(payload)
  } else if (payload.state === 'claimed' && !mine) {
    root.querySelector(`[data-desk-item="${id}"]`)?.remove()
    showWorking(payload)
  } else if (payload.state === 'claimed' && mine) {
    if (frame.event === 'question.replied') putOnDesk(payload, true)
    else if (!root.querySelector(`[data-desk-item="${id}"]`)) putOnDesk(payload, false)
  } else if (payload.state !== 'awaiting_clarification') {
    root.querySelector(`[data-desk-item="${id}"]`)?.remove()
  }
  refreshEmpty()
}

// The waiting times move on while the page stays open.
function waitingText(since) {
  const minutes = Math.max(0, Math.floor((Date.now() - new Date(since).getTime()) / 60_000))
  const { textWaitLess, textWaitMinutes, textWaitHours, textWaitDays } = root.dataset
  if (minutes < 1) return textWaitLess
  if (minutes < 60) return fill(textWaitMinutes, { m: minutes })
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return fill(textWaitHours, { h: hours, m: minutes % 60 })
  return fill(textWaitDays, { d: Math.floor(hours / 24), h: hours % 24 })
}

function tick() {
  for (const cell of root.querySelectorAll('[data-queue] [data-waiting-since]')) {
    if (cell.dataset.waitingSince) cell.textContent = waitingText(cell.dataset.waitingSince)
  }
}

if (root) {
  globalThis.ftLive.follow({ channels: ['queue'], onEvent: apply, id: 'queue' })
  setInterval(tick, 30_000)
}
