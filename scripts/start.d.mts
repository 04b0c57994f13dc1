/** Makes (unless present) the compiled build of the sources under `root` and returns its folder. */
export function prepareBuild(root?: string): Promise<string>
/** Hex sha256 of a migration's source text. */
export function sourceDigest(text: string): string
/** Marks the build folder `dir` as run by this process until it exits: pruning leaves it alone meanwhile. */
export function markRunning(dir: string): void
