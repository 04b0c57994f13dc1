// Accepting an invitation and choosing a new password. The token travels in the URL fragment,
// which browsers never send to servers or put in Referer headers; it is taken out of the address
// bar at once and only ever sent in the body of the API call. Every text shown comes from the
// page (data-msg-* attributes, from the message catalogue) or from the API's Italian `detail`.

const form = document.querySelector('form[data-kind]')
const kind = form.dataset.kind
const text = form.dataset
const token = new URLSearchParams(location.hash.slice(1)).get('token')
history.replaceState(null, '', location.pathname)

const error = document.querySelector('.error')
const done = document.querySelector('.done')

function show(message) {
  error.textContent = message
  error.hidden = false
}

function explain(problem) {
  if (problem.code === 'VALIDATION_FAILED' && Array.isArray(problem.errors)) {
    if (problem.errors.some((e) => e.field === 'body.displayName')) return text.msgName
  }
  return problem.detail ?? text.msgFailed
}

if (!token) {
  form.hidden = true
  show(text.msgMissingToken)
}

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  error.hidden = true
  const data = new FormData(form)
  const password = String(data.get('password'))
  if (password.length < 12) return show(text.msgTooShort)
  if (password !== data.get('confirm')) return show(text.msgMismatch)
  const body = kind === 'invito' ? { token, password, displayName: String(data.get('displayName')).trim() } : { token, password }
  const url = kind === 'invito' ? '/api/v1/invitations/accept' : '/api/v1/password-resets/complete'
  const button = form.querySelector('button')
  button.disabled = true
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'it' },
      body: JSON.stringify(body),
    })
    if (!response.ok) return show(explain(await response.json().catch(() => ({}))))
    form.hidden = true
    done.textContent = text.msgDone
    done.hidden = false
    document.querySelector('.signin-next').hidden = false
  } catch {
    show(text.msgOffline)
  } finally {
    button.disabled = false
  }
})
