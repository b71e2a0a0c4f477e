/**
 * The text of an uploaded file, as the browser's preview and the server both read it. UTF-8
 * (a byte-order mark dropped); a file that is not valid UTF-8 is taken as Windows-1252, what
 * spreadsheets on Windows save "CSV" as by default: read as UTF-8, "Café" became "Caf�" in the
 * preview and on the cards, without a word. (Latin-1 is Windows-1252's subset for text.) A
 * UTF-16 file says so with its byte-order mark ("Unicode text" in Excel's Save As).
 */
export function fileText(bytes: Uint8Array): string {
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		return new TextDecoder('windows-1252').decode(bytes);
	}
}
