/**
 * What counts as text a person can see, for names and titles. `trim()` removes white space only:
 * a title of zero-width spaces or direction marks (`"\u202e\u200b"`) passed "not empty" and
 * showed as nothing, in lists, headings and notifications alike.
 */

/** White space, format characters (zero-width spaces, direction marks) and other ignorables. */
const invisibleOnly = /^[\s\p{Cf}\p{Default_Ignorable_Code_Point}]*$/u;

/** Line breaks, tabs and other control characters, which one-line labels refuse (NUL too). */
// eslint-disable-next-line no-control-regex
export const controlCharacters = /[\u0000-\u001f\u007f]/;

export function hasVisibleText(text: string): boolean {
	return !invisibleOnly.test(text);
}
