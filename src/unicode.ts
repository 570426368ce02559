/**
 * Characters no output may pass through as they are, named once for every
 * escaper (Markdown, terminal text, JSON): each escaper adds the C0 controls
 * its medium cannot carry and chooses how to show them.
 */

/** DEL and the C1 controls (C1 CSI starts a terminal escape sequence). */
export const C1 = '\\u007f-\\u009f';
/** Line and paragraph separators: line breaks to some readers, not to others. */
export const SEPARATORS = '\\u2028\\u2029';
/**
 * Invisible format characters: Arabic letter mark, Mongolian vowel separator,
 * zero-width characters and directional marks, embeddings and overrides,
 * word joiner and invisible operators, isolates and deprecated format
 * characters, byte order mark. A right-to-left override reorders a name.
 */
export const INVISIBLE_FORMAT = '\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff';

/** A global regex matching one character of the given class bodies. */
export const charClass = (...bodies: readonly string[]): RegExp => new RegExp(`[${bodies.join('')}]`, 'g');
