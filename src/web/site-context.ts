import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Actor } from '../accounts/actor.js'
import type { AssetManifest } from './assets.js'

/** What every template may need about the request and the site, without passing it down by hand. */
export interface SiteContext {
  assets: AssetManifest
  /** PUBLIC_ORIGIN: canonical and Open Graph URLs are absolute. */
  origin: string
  actor: Actor
  /** The request's path, for the current menu entry. */
  path: string
}

export const Site = createContext<SiteContext | undefined>(undefined)

export function useSite(): SiteContext {
  const site = useContext(Site)
  if (!site) throw new Error('templates render inside <Site.Provider>')
  return site
}
