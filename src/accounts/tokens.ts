import { createHash, randomBytes } from 'node:crypto'

/** 256 random bits, URL-safe: session, invitation and password-reset tokens. */
export const newToken = () => randomBytes(32).toString('base64url')

/** Only this is stored: a database leak gives no usable token. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')
