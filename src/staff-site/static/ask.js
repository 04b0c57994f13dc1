// Asking a question: shows similar published FAQs and open questions while the clerk types (the
// similar-questions API), and keeps the draft in this browser's local storage until it is sent, so
// a closed tab, a lost connection or a day not yet open loses nothing. The form works without it.
// Every word shown comes from the page (data-text-* attributes, from the message catalogue).

const form = document.querySelector('form[data-ask-form]')
const similar = document.querySelector('[data-similar]')
const status = form?.querySelector('[data-draft-status]')
const DRAFT = 'ft-question-draft'
const fields = ['title', 'body', 'theme']
// namedItem, not form.title: a form's own `title` property would shadow the field.
const field = (name) => form.elements.namedItem(name)

function readDraft() {
  try {
    return JSON.parse(localStorage.getItem(DRAFT) ?? 'null')
  } catch {
    return null
  }
}

function saveDraft() {
  const draft = { forumDayId: field('forumDayId').value, idempotencyKey: field('idempotencyKey').value }
  for (const name of fields) draft[name] = field(name).value
  try {
    localStorage.setItem(DRAFT, JSON.stringify(draft))
    if (status) status.textContent = form.dataset.textSaved
  } catch {
    // Storage full or disabled: the form still works.
  }
}

function restoreDraft() {
  const draft = readDraft()
  if (!draft) return
  // The server's copy wins (a form shown again after an error already holds the text).
  if (fields.some((name) => field(name).value)) return
  // A draft written for a day that closed is carried to the next one; the theme may differ.
  for (const name of fields) if (typeof draft[name] === 'string') field(name).value = draft[name]
  // The same day: the same key as the first attempt, so if that one did arrive, sending again
  // shows it instead of making a copy.
  if (draft.forumDayId === field('forumDayId').value && typeof draft.idempotencyKey === 'string') field('idempotencyKey').value = draft.idempotencyKey
}

function link(href, title, kind) {
  const item = document.createElement('li')
  item.className = 'mb-2'
  const badge = document.createElement('span')
  badge.className = 'badge bg-secondary me-2'
  badge.textContent = kind
  const a = document.createElement('a')
  a.href = href
  // A new tab, so the draft on this page stays as it is.
  a.target = '_blank'
  a.rel = 'noopener'
  a.textContent = title
  item.append(badge, a)
  return item
}

let timer
let asked = ''
async function showSimilar() {
  const text = `${field('title').value}\n${field('body').value}`.trim()
  if (text.length < 5 || text === asked) return
  asked = text
  try {
    const response = await fetch('/api/v1/questions/similar', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'it' },
      body: JSON.stringify({ text: text.slice(0, 10000), limit: 5 }),
    })
    if (!response.ok || text !== asked) return
    const result = await response.json()
    const list = document.createElement('ul')
    list.className = 'list-unstyled'
    for (const faq of result.faqs) list.append(link(`/domande-e-risposte/${encodeURIComponent(faq.slug)}`, faq.title, similar.dataset.textFaq))
    for (const q of result.questions) list.append(link(`/le-mie-domande/${q.id}`, q.title, similar.dataset.textQuestion))
    if (list.children.length === 0) {
      const none = document.createElement('p')
      none.textContent = similar.dataset.textNone
      similar.replaceChildren(none)
    } else {
      similar.replaceChildren(list)
    }
  } catch {
    // Offline: suggestions are a help, not a step.
  }
}

if (form) {
  restoreDraft()
  form.addEventListener('input', () => {
    saveDraft()
    clearTimeout(timer)
    timer = setTimeout(showSimilar, 400)
  })
  // One click sends once; the idempotency key covers whatever still gets through twice.
  form.addEventListener('submit', () => {
    saveDraft()
    setTimeout(() => {
      form.querySelector('button[type=submit]').disabled = true
    }, 0)
  })
  // Back from another page (bfcache): the button works again.
  addEventListener('pageshow', () => {
    form.querySelector('button[type=submit]').disabled = false
  })
  if (field('title').value || field('body').value) showSimilar()
}
