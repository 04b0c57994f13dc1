// Accepting an invitation and choosing a new password. The token travels in the URL fragment,
// which browsers never send to servers or put in Referer headers; it is taken out of the address
// bar at once and only ever sent in the body of the API call.

const kind = document.body.dataset.kind
const token = new URLSearchParams(location.hash.slice(1)).get('token')
history.replaceState(null, '', location.pathname)

const form = document.querySelector('form')
const error = document.querySelector('.error')
const done = document.querySelector('.done')

/** Italian texts for the API's stable error codes; anything else shows the server's own words. */
const MESSAGES = {
  INVITATION_NOT_FOUND: 'Questo link di invito non è valido. Chiedi un nuovo invito alla segreteria del forum.',
  INVITATION_USED: 'Questo invito è già stato usato: accedi con la tua email e la password scelta.',
  INVITATION_EXPIRED: 'Questo invito è scaduto. Chiedi un nuovo invito alla segreteria del forum.',
  PASSWORD_RESET_NOT_FOUND: 'Questo link non è valido. Chiedi un nuovo link alla segreteria del forum.',
  PASSWORD_RESET_USED: 'Questo link è già stato usato. Se serve, chiedine uno nuovo alla segreteria del forum.',
  PASSWORD_RESET_EXPIRED: 'Questo link è scaduto. Chiedine uno nuovo alla segreteria del forum.',
  EMAIL_TAKEN: 'Esiste già un account con questa email: accedi, o chiedi alla segreteria di reimpostare la password.',
}
const WEAK = {
  too_short: 'La password deve avere almeno 12 caratteri.',
  common: 'Questa password è tra le più usate: scegline un’altra.',
  repetitive: 'La password ripete troppo pochi caratteri: scegline un’altra.',
  email: 'La password non può essere il tuo indirizzo email.',
}

function show(message) {
  error.textContent = message
  error.hidden = false
}

function explain(problem) {
  if (problem.code === 'WEAK_PASSWORD') return WEAK[problem.reason] ?? problem.detail
  if (problem.code === 'VALIDATION_FAILED' && Array.isArray(problem.errors)) {
    if (problem.errors.some((e) => e.field === 'body.displayName')) return 'Scrivi il tuo nome e cognome (almeno 2 caratteri).'
  }
  return MESSAGES[problem.code] ?? problem.detail ?? 'Qualcosa non ha funzionato. Riprova tra poco.'
}

if (!token) {
  form.hidden = true
  show('Il link è incompleto: aprilo di nuovo dal messaggio che hai ricevuto, per intero.')
}

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  error.hidden = true
  const data = new FormData(form)
  const password = String(data.get('password'))
  if (password.length < 12) return show(WEAK.too_short)
  if (password !== data.get('confirm')) return show('Le due password non coincidono.')
  const body = kind === 'invito' ? { token, password, displayName: String(data.get('displayName')).trim() } : { token, password }
  const url = kind === 'invito' ? '/api/v1/invitations/accept' : '/api/v1/password-resets/complete'
  const button = form.querySelector('button')
  button.disabled = true
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    if (!response.ok) return show(explain(await response.json().catch(() => ({}))))
    form.hidden = true
    done.textContent =
      kind === 'invito'
        ? 'Il tuo account è attivo. Ora puoi accedere con la tua email e la password che hai scelto.'
        : 'La password è cambiata. Accedi di nuovo con la nuova password: le sessioni aperte sono state chiuse.'
    done.hidden = false
  } catch {
    show('Il servizio non risponde. Controlla la connessione e riprova.')
  } finally {
    button.disabled = false
  }
})
