/** Makes (unless present) the compiled build of the sources under `root` and returns its folder. */
export function prepareBuild(root?: string): Promise<string>
/** Hex sha256 of a migration's source text. */
export function sourceDigest(text: string): string
