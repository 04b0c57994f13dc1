// The answer desk, enhanced: the draft saves itself to the server (If-Match with the draft's
// version: a save from a stale tab is refused and the newer draft shown, never overwritten), the
// preview comes from the same safe renderer as the public site (with the legal references it
// recognises), the lease counts down, the FAQ search answers while typing, and the link to a
// found FAQ or a recognised act goes into the answer at the cursor. The
// question's channel (live.js) says when someone else changed it. Every word comes from the page.
// Without this script the same forms post and the page does all of it on the server.

const root = document.querySelector('[data-answer-desk]')
const id = root?.dataset.answerDesk
const answer = document.getElementById('risposta')
const status = root?.querySelector('[data-draft-status]')
const versionField = root?.querySelector('[data-answer-form] input[name="draftVersion"]')
let version = Number(root?.dataset.draftVersion ?? 0)
let savedText = answer?.value ?? ''
let blocked = false
let timer

const time = new Intl.DateTimeFormat('it-IT', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Europe/Rome' })
// A JSON content type only with a body: an empty JSON body is malformed.
const api = (path, init = {}) =>
  fetch(`/api/v1${path}`, { ...init, headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), 'accept-language': 'it', ...(init.headers ?? {}) } })

function setVersion(value) {
  version = value
  if (versionField) versionField.value = String(value)
}

async function saveDraft() {
  if (!answer || blocked || answer.value === savedText) return
  const text = answer.value
  status.textContent = root.dataset.textSaving
  try {
    const response = await api(`/questions/${id}/draft`, { method: 'PUT', headers: { 'if-match': `"${version}"` }, body: JSON.stringify({ markdown: text }) })
    const body = await response.json()
    if (response.ok) {
      setVersion(body.version)
      savedText = text
      status.textContent = root.dataset.textSaved.replace('{time}', time.format(new Date(body.updatedAt)))
    } else if (response.status === 412 && body.draft) {
      // Another tab saved first: show its text and stop saving until the expert chooses.
      blocked = true
      const panel = root.querySelector('[data-newer-draft]')
      panel.querySelector('[data-newer-text]').textContent = body.draft.markdown
      panel.dataset.version = String(body.draft.version)
      panel.hidden = false
      status.textContent = root.dataset.textNewer
    } else {
      status.textContent = root.dataset.textFailed
    }
  } catch {
    status.textContent = root.dataset.textFailed
  }
}

async function preview() {
  const section = root.querySelector('[data-preview-section]')
  const box = root.querySelector('[data-preview]')
  try {
    const response = await api('/answers/preview', { method: 'POST', body: JSON.stringify({ markdown: answer.value }) })
    if (!response.ok) return
    const { html, legalReferences } = await response.json()
    // The server's safe renderer made this HTML (raw HTML off, safe link protocols only).
    if (html.trim()) box.innerHTML = html
    else box.textContent = root.dataset.textPreviewEmpty
    const linked = legalReferences.filter((r) => r.url)
    const list = root.querySelector('[data-reference-list]')
    list.replaceChildren(
      ...linked.map((r) => {
        const item = document.createElement('li')
        item.dataset.link = `[${r.text}](${r.url})`
        item.dataset.replace = r.text
        const code = document.createElement('code')
        code.textContent = item.dataset.link
        item.append(`${r.label}: `, code)
        linkButton(item)
        return item
      }),
    )
    root.querySelector('[data-references]').hidden = linked.length === 0
    section.hidden = false
  } catch {
    // Offline: the button posts the form instead next time.
  }
}

function insertLink(markdown) {
  if (!answer) return
  const { selectionStart: start, selectionEnd: end, value } = answer
  answer.value = `${value.slice(0, start)}${markdown}${value.slice(end)}`
  answer.focus()
  answer.setSelectionRange(start + markdown.length, start + markdown.length)
  answer.dispatchEvent(new Event('input'))
}

// A recognised act's citation becomes its link where it is written; an FAQ's link goes at the cursor.
function useLink(item) {
  const { link, replace } = item.dataset
  if (replace && answer.value.includes(replace) && !answer.value.includes(link)) {
    answer.value = answer.value.replace(replace, link)
    answer.dispatchEvent(new Event('input'))
    answer.focus()
  } else {
    insertLink(link)
  }
}

function linkButton(item) {
  if (!answer || !item.dataset.link) return
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'btn btn-sm btn-outline-secondary mt-1 ms-2'
  button.textContent = root.dataset.textInsertLink
  button.addEventListener('click', () => useLink(item))
  item.append(button)
}

function faqItem(faq, index) {
  const path = `/domande-e-risposte/${encodeURIComponent(faq.slug)}`
  const item = document.createElement('li')
  item.className = 'mb-3'
  item.dataset.link = `[${faq.title}](${path})`
  if (root.dataset.duplicate === 'true') {
    const check = document.createElement('div')
    check.className = 'form-check'
    const input = document.createElement('input')
    Object.assign(input, { className: 'form-check-input', type: 'radio', name: 'faq', id: `faq-${index}`, value: faq.slug })
    const label = document.createElement('label')
    label.className = 'form-check-label'
    label.htmlFor = input.id
    label.textContent = faq.title
    check.append(input, label)
    item.append(check)
  } else {
    const title = document.createElement('p')
    title.className = 'mb-1'
    title.textContent = faq.title
    item.append(title)
  }
  const line = document.createElement('p')
  line.className = 'small mb-0'
  const link = document.createElement('a')
  Object.assign(link, { href: path, target: '_blank', rel: 'noopener', textContent: faq.title })
  const code = document.createElement('code')
  code.textContent = item.dataset.link
  line.append(link, ` – ${root.dataset.textLinkCode} `, code)
  item.append(line)
  linkButton(item)
  return item
}

let asked = ''
async function searchFaqs(query) {
  if (query.length < 2 || query === asked) return
  asked = query
  try {
    const response = await api(`/faqs?q=${encodeURIComponent(query)}&pageSize=8&suggest=1`)
    if (!response.ok || query !== asked) return
    const { hits } = await response.json()
    const list = root.querySelector('[data-faq-list]')
    list.replaceChildren(...hits.map(faqItem))
    const fieldset = root.querySelector('[data-faq-results]')
    fieldset.querySelector('[data-faq-none]')?.remove()
    if (hits.length === 0) {
      const none = document.createElement('p')
      none.dataset.faqNone = ''
      none.textContent = root.dataset.textFaqNone
      list.before(none)
    }
    fieldset.hidden = false
  } catch {
    // Offline: the search form still posts.
  }
}

const leaseBox = root?.querySelector('[data-lease]')
const hhmm = new Intl.DateTimeFormat('it-IT', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Rome' })

function countdown() {
  if (!leaseBox) return
  const left = leaseBox.querySelector('[data-lease-left]')
  const clock = leaseBox.querySelector('[data-lease-countdown]')
  const tick = () => {
    const ms = new Date(leaseBox.dataset.lease).getTime() - Date.now()
    leaseBox.querySelector('[data-lease-expired]').hidden = ms > 0
    left.hidden = ms <= 0
    if (ms > 0) {
      const seconds = Math.floor(ms / 1000)
      clock.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
    }
    setTimeout(tick, 1000)
  }
  tick()
}

// Renewing in place keeps what is being typed; the form posts as usual when this fails.
async function renew(event) {
  event.preventDefault()
  try {
    const response = await api(`/questions/${id}/renew`, { method: 'POST' })
    if (!response.ok) throw new Error(String(response.status))
    const question = await response.json()
    leaseBox.dataset.lease = question.claim.leaseExpiresAt
    const until = leaseBox.querySelector('time')
    until.dateTime = question.claim.leaseExpiresAt
    until.textContent = hhmm.format(new Date(question.claim.leaseExpiresAt))
    root.dataset.version = String(question.version)
  } catch {
    event.target.submit()
  }
}

if (root) {
  if (answer) {
    answer.addEventListener('input', () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        saveDraft()
        if (!root.querySelector('[data-preview-section]').hidden) preview()
      }, 800)
    })
    root.querySelector('[data-preview-button]')?.addEventListener('click', (event) => {
      event.preventDefault()
      preview()
    })
    root.querySelector('[data-use-newer]')?.addEventListener('click', () => {
      const panel = root.querySelector('[data-newer-draft]')
      answer.value = panel.querySelector('[data-newer-text]').textContent
      savedText = answer.value
      setVersion(Number(panel.dataset.version))
      blocked = false
      panel.hidden = true
      answer.focus()
    })
    // Leaving the page (or sending the answer): what is typed is saved first if it can be.
    addEventListener('pagehide', () => saveDraft())
  }
  const search = root.querySelector('[data-faq-search]')
  search?.addEventListener('input', (event) => {
    clearTimeout(search.timer)
    search.timer = setTimeout(() => searchFaqs(event.target.value.trim()), 300)
  })
  search?.addEventListener('submit', (event) => {
    event.preventDefault()
    asked = ''
    searchFaqs(search.querySelector('input').value.trim())
  })
  for (const item of root.querySelectorAll('[data-faq-list] [data-link], [data-reference-list] [data-link]')) linkButton(item)
  countdown()
  if (leaseBox) root.querySelector('[data-renew-form]')?.addEventListener('submit', renew)
  globalThis.ftLive.follow({
    channels: [`question:${id}`],
    id: 'question',
    onEvent(frame) {
      if (frame.payload?.questionId !== id || Number(frame.payload.version) <= Number(root.dataset.version)) return
      // The viewer's own renewal changes nothing they need to reload for.
      if (frame.event === 'question.renewed' && frame.payload.claimedBy?.id === root.dataset.viewer) {
        root.dataset.version = String(frame.payload.version)
        return
      }
      root.querySelector('[data-live-changed]').hidden = false
    },
  })
}
