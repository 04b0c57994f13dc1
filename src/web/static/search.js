// Search-as-you-type: while the visitor types, the first matching answers appear under the box,
// from the public JSON API. The form works without this script; it only saves a page load.
// Requests are debounced and a newer one cancels the older, so the list never shows stale results.

const DEBOUNCE_MS = 250
const MIN_LENGTH = 3

for (const form of document.querySelectorAll('form[data-suggest]')) {
  const input = form.querySelector('input[name="q"]')
  const box = form.querySelector('.suggestions')
  let timer
  let inFlight

  const clear = () => box.replaceChildren()

  async function suggest(q) {
    inFlight?.abort()
    inFlight = new AbortController()
    const url = `/api/v1/faqs?${new URLSearchParams({ q, pageSize: '5', suggest: '1' })}`
    try {
      const response = await fetch(url, { signal: inFlight.signal, headers: { accept: 'application/json' } })
      if (!response.ok) return clear()
      const result = await response.json()
      render(result.hits ?? [])
    } catch {
      // Aborted by a newer keystroke, or offline: the form still works.
    }
  }

  function render(hits) {
    if (hits.length === 0) return clear()
    const title = document.createElement('p')
    title.className = 'small text-secondary mb-1'
    title.textContent = form.dataset.suggestTitle
    const list = document.createElement('ul')
    list.className = 'list-unstyled mb-0'
    for (const hit of hits) {
      const item = document.createElement('li')
      const link = document.createElement('a')
      link.href = `/domande-e-risposte/${encodeURIComponent(hit.slug)}`
      // Titles are text: textContent never interprets markup.
      link.textContent = hit.title
      item.append(link)
      list.append(item)
    }
    box.replaceChildren(title, list)
  }

  input.addEventListener('input', () => {
    clearTimeout(timer)
    const q = input.value.trim()
    if (q.length < MIN_LENGTH) {
      inFlight?.abort()
      return clear()
    }
    timer = setTimeout(() => suggest(q), DEBOUNCE_MS)
  })
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') clear()
  })
}
