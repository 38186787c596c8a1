// proxy-from-env ships no types: its one export, as its README documents it.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTP(S)_PROXY / ALL_PROXY / NO_PROXY (either letter case), or '' for none. */
  export function getProxyForUrl(url: string | URL): string;
}
