// Live question states for the comune staff: follows the organization's questions (lists) or one
// question (its page) over the WebSocket (live.js) and updates the state words and the
// "clarification to give" marker in place. The pages are complete without it.

const root = document.querySelector('[data-live-organization], [data-live-question]')
const DRAFT = 'ft-question-draft'

// The question just sent from the ask form: its local draft is no longer needed.
if (root?.dataset.clearDraft !== undefined) {
  try {
    localStorage.removeItem(DRAFT)
  } catch {
    // Storage disabled: nothing was kept.
  }
}

const BADGE = { awaiting_clarification: 'bg-warning text-dark', answered: 'bg-success', closed: 'bg-success', submitted: 'bg-secondary' }

function apply(frame) {
  const { questionId, state } = frame.payload ?? {}
  if (!questionId || !state) return
  // The Italian words come with the page (data-state-*), from the message catalogue.
  const text = root.dataset[`state${state.replace(/(^|_)(\w)/g, (_m, _s, c) => c.toUpperCase())}`]
  for (const badge of document.querySelectorAll(`[data-question-state][data-question-id="${questionId}"]`)) {
    if (badge.dataset.questionState === state || !text) continue
    badge.dataset.questionState = state
    badge.textContent = text
    badge.className = `badge ${BADGE[state] ?? 'bg-primary'}`
  }
  for (const marker of document.querySelectorAll(`[data-needs-you="${questionId}"]`)) marker.hidden = state !== 'awaiting_clarification'
  // On a question's own page the thread is brought up to date in place (an answer or a
  // clarification request appears as it is given); the forms depend on the state, and the
  // person may be typing in one, so for them a reload is only offered.
  if (root.dataset.liveQuestion === questionId) {
    refreshThread()
    const changed = document.querySelector('[data-live-changed]')
    if (changed) changed.hidden = false
  }
}

let refreshing = Promise.resolve()

/** Replaces the thread with the one the server renders now (the same page, escaped there). */
function refreshThread() {
  refreshing = refreshing
    .then(() => fetch(location.pathname, { headers: { accept: 'text/html' }, credentials: 'same-origin' }))
    .then((response) => (response.ok ? response.text() : undefined))
    .then((html) => {
      if (html === undefined) return
      const fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-thread]')
      const current = document.querySelector('[data-thread]')
      if (fresh && current) current.replaceChildren(...[...fresh.childNodes].map((node) => document.importNode(node, true)))
    })
    .catch(() => undefined)
}

if (root) {
  const channel = root.dataset.liveQuestion ? `question:${root.dataset.liveQuestion}` : `organization:${root.dataset.liveOrganization}`
  globalThis.ftLive.follow({ channels: [channel], onEvent: apply })
}
