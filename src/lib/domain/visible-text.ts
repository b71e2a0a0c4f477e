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
 * Line breaks (with Unicode's line and paragraph separators and NEL), tabs and the other C0 and
 * C1 control characters, which one-line labels refuse (NUL in particular cannot be stored).
 */
// eslint-disable-next-line no-control-regex
export const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function hasVisibleText(text: string): boolean {
	return !invisibleOnly.test(text);
}
