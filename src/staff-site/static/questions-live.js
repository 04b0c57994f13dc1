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
  // On a question's own page the thread and the forms depend on the state: offer a reload.
  if (root.dataset.liveQuestion === questionId) {
    const changed = document.querySelector('[data-live-changed]')
    if (changed) changed.hidden = false
  }
}

if (root) {
  const channel = root.dataset.liveQuestion ? `question:${root.dataset.liveQuestion}` : `organization:${root.dataset.liveOrganization}`
  globalThis.ftLive.follow({ channels: [channel], onEvent: apply })
}
