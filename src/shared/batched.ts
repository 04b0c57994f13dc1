import DataLoader from 'dataloader'

/**
 * Calls made in the same turn of the event loop, run as one batch. At a forum day's peak the
 * requests of many sockets are read in one turn; each request's own statement, round trip and
 * commit cost the database more than the rows it writes, so one statement for all of them is
 * most of the gain. A lone call waits for nothing but the end of its turn (setImmediate).
 *
 * `run` answers each item in order, with its result or the Error that item alone gets: an
 * error for one item never fails the others. DataLoader does the collecting; its cache is off
 * because every call is a new request, not a key to remember.
 */
export function batched<I, O>(run: (items: readonly I[]) => Promise<Array<O | Error>>, maxBatchSize = 64): (item: I) => Promise<O> {
  const loader = new DataLoader<I, O>(run, { cache: false, maxBatchSize, batchScheduleFn: (dispatch) => setImmediate(dispatch) })
  return (item) => loader.load(item)
}
