// Live forum days: follows each day shown on the page over the WebSocket (channel forum-day:{id})
// and updates its state and counters. It remembers the last event position and, after a drop,
// reconnects with `since` so nothing in between is missed. The page is complete without it.

const cards = new Map([...document.querySelectorAll('[data-forum-day]')].map((el) => [el.dataset.forumDay, el]))
const status = document.querySelector('[data-live-status]')
const BADGE = { open: 'bg-success', upcoming: 'bg-primary', closed: 'bg-secondary', cancelled: 'bg-danger' }
const number = new Intl.NumberFormat('it-IT')

let position
let attempt = 0

function say(kind) {
  if (!status) return
  status.textContent = kind === 'live' ? status.dataset.textLive : status.dataset.textOffline
}

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

function connect() {
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`)
  socket.addEventListener('open', () => {
    const channels = [...cards.keys()].map((id) => `forum-day:${id}`)
    socket.send(JSON.stringify({ type: 'subscribe', channels, id: 'days', ...(position === undefined ? {} : { since: position }) }))
  })
  socket.addEventListener('message', (message) => {
    let frame
    try {
      frame = JSON.parse(message.data)
    } catch {
      return
    }
    if (frame.type === 'welcome' && position === undefined) position = frame.position
    if (frame.type === 'subscribed') {
      attempt = 0
      say('live')
    }
    if (frame.type === 'event') {
      position = Math.max(position ?? 0, frame.position)
      apply(frame)
    }
    // Too far behind to replay: the page's figures may be stale, so load them afresh.
    if (frame.type === 'resync_required') location.reload()
  })
  socket.addEventListener('close', () => {
    say('offline')
    attempt += 1
    setTimeout(connect, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)))
  })
}

if (cards.size > 0 && 'WebSocket' in globalThis) connect()
