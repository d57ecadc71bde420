/**
 * What an error message quotes of a response body: an HTML page by its title ("an HTML page
 * (title "502 Bad Gateway")"), anything else with its white space folded and cut at `max`
 * characters. Proxies answer with whole pages that list the request's headers; quoting the page
 * would copy them into the message.
 */
export function bodyExcerpt(text: string, max = 300): string {
  if (looksLikeHtml(text)) {
    const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.trim();
    return title === undefined || title === '' ? 'an HTML page' : `an HTML page (title "${title}")`;
  }
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > max ? `${folded.slice(0, max)}…` : folded;
}

/** True for text that starts like an HTML or XML document. */
export function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml)/i.test(text.slice(0, 200));
}
