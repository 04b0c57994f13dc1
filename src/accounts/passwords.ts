import { hash, verify } from '@node-rs/argon2'
import { DomainError } from '../shared/errors.js'
import { COMMON_PASSWORDS } from './common-passwords.js'

/**
 * Argon2id at the OWASP minimum (19 MiB, 2 iterations, 1 lane): a forum day opens with thousands
 * of logins in minutes, so the cost is the floor, not more. @node-rs/argon2 hashes off the main
 * thread and adds a random salt per hash. `2` is Algorithm.Argon2id (an ambient const enum, which
 * isolatedModules cannot read).
 */
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 256

let common: Set<string> | undefined
const commonPasswords = () => (common ??= new Set(COMMON_PASSWORDS.split('\n').filter(Boolean)))

/** Throws WEAK_PASSWORD (422) naming the reason; nothing else about the password is judged. */
export function assertStrongPassword(password: string, context: { email?: string } = {}): void {
  const weak = (reason: string, detail: string) => new DomainError('WEAK_PASSWORD', 422, detail, { reason })
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw weak('too_short', `The password must be at least ${MIN_PASSWORD_LENGTH} characters long`)
  }
  const lower = password.toLowerCase()
  if (commonPasswords().has(lower)) throw weak('common', 'This password is in a list of common passwords: choose another')
  if (new Set(lower).size <= 2) throw weak('repetitive', 'The password repeats too few characters: choose another')
  if (context.email && lower === context.email.toLowerCase()) throw weak('email', 'The password cannot be the email address')
}

export const hashPassword = (password: string) => hash(password, ARGON2_OPTIONS)

export const verifyPassword = async (passwordHash: string, password: string) => {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}
