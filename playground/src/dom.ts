// The page's two DOM helpers: an element of index.html by id, and a <select> filled from values.

/** The element of index.html with this id (a missing one is a bug of the page, said at once). */
export const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`playground: no element #${id} in index.html`)
  return el as T
}

/** Fills a <select> with `values` (shown by `label`), selects `current`, and calls `pick` on a change. */
export const options = <T>(select: HTMLSelectElement, values: ReadonlyArray<T>, current: T, label: (v: T) => string, pick: (v: T) => void): void => {
  select.replaceChildren(...values.map((v) => {
    const o = document.createElement('option')
    o.textContent = label(v)
    o.selected = v === current
    return o
  }))
  select.onchange = () => pick(values[select.selectedIndex]!)
}

/** Offers `data` to the user as a download named `name`. */
export const download = (data: BlobPart, type: string, name: string): void => {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(new Blob([data], { type }))
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}
