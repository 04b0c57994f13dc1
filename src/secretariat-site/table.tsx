import type { ComponentChildren } from 'preact'

export interface TableRow {
  /** For rows other pages link to (`#giornata-…`). */
  id?: string
  /** One per header, in the same order. */
  cells: ComponentChildren[]
}

export interface DataTableProps {
  /** Column headers; a header with no visible text still needs one for screen readers. */
  headers: ComponentChildren[]
  rows: TableRow[]
  /** Said instead of a table when there are no rows. */
  empty: string
  /** The id of the heading that names the table. */
  labelledBy?: string
  small?: boolean
}

/**
 * A list of the secretariat's pages as a table: scrolls sideways on narrow screens, every header
 * scoped to its column, a sentence instead of an empty table. Headers and cells are JSX, so Preact
 * escapes whatever data they hold.
 */
export function DataTable({ headers, rows, empty, labelledBy, small }: DataTableProps) {
  if (rows.length === 0) return <p>{empty}</p>
  return (
    <div class="table-responsive">
      <table class={small ? 'table table-sm' : 'table'} aria-labelledby={labelledBy}>
        <thead>
          <tr>
            {headers.map((header) => (
              <th scope="col">{header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr id={row.id}>
              {row.cells.map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
