// The pages' one WebSocket client. A page script calls ftLive.follow() with the channels it
// needs and what to do with each event; this keeps the last event position and, after a drop or
// a server restart, reconnects with `since`, so nothing in between is missed. Too far behind to
// replay (`resync_required`), the page is loaded afresh. It says "live" or "offline" in the
// page's [data-live-status] element, whose words come with the page (data-text-live/-offline),
// and tells onStatus('live' | 'offline'), for a page that falls back to polling while offline.
// Loaded before the scripts that use it (see SCRIPT_NEEDS in src/web/assets.ts).

function follow({ channels, onEvent, onStatus, id = 'live' }) {
  const status = document.querySelector('[data-live-status]')
  const say = (kind) => {
    if (status) status.textContent = kind === 'live' ? status.dataset.textLive : status.dataset.textOffline
    onStatus?.(kind)
  }
  let position
  let attempt = 0

  function connect() {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`)
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', channels, id, ...(position === undefined ? {} : { since: position }) }))
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
        onEvent(frame)
      }
      if (frame.type === 'resync_required') location.reload()
    })
    socket.addEventListener('close', () => {
      say('offline')
      attempt += 1
      setTimeout(connect, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)))
    })
  }

  if (channels.length > 0 && 'WebSocket' in globalThis) connect()
  else onStatus?.('offline')
}

globalThis.ftLive = { follow }
