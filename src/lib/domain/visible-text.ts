/**
 * What counts as text a person can see, for names and titles. `trim()` removes white space only:
 * a title of zero-width spaces or direction marks (`"\u202e\u200b"`) passed "not empty" and
 * showed as nothing, in lists, headings and notifications alike.
 */

/**
 * White space, format characters (zero-width spaces, direction marks), other ignorables, and
 * the Braille blank (U+2800, the usual "blank name" trick).
 */
const invisibleOnly = /^[\s\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/**
 * Line breaks, tabs and the other C0 control characters, which one-line labels refuse (NUL in
 * particular cannot be stored). Not widened to C1 or U+2028: stored titles and labels may hold
 * them, and a rule every write path checks must not refuse what boards already hold.
 */
// eslint-disable-next-line no-control-regex
export const controlCharacters = /[\u0000-\u001f\u007f]/;

export function hasVisibleText(text: string): boolean {
	return !invisibleOnly.test(text);
}
