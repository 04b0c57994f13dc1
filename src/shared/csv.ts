/**
 * CSV as Italian spreadsheets read it: spreadsheets set to Italian split columns on ';' (',' is
 * the decimal separator) and read UTF-8 only after a byte-order mark; otherwise every accent comes
 * out garbled and each row lands in one cell. Quoting as RFC 4180, CRLF line ends.
 */
export const CSV_SEPARATOR = ';'
const BOM = '\uFEFF'

export const csvCell = (value: string) => (/[";\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)

/**
 * Text typed by someone else (a search query) that a spreadsheet would run as a formula when it
 * starts with = + - @: written with a leading apostrophe, which spreadsheets show as text.
 */
export const csvText = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)

/** Lines of cells (each line may have its own number of cells) as one CSV document with its BOM. */
export function csvDocument(lines: ReadonlyArray<readonly string[]>): string {
  return `${BOM}${lines.map((cells) => cells.map(csvCell).join(CSV_SEPARATOR)).join('\r\n')}\r\n`
}
