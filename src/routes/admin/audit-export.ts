/**
 * Downloads the audit log's CSV export with progress: the body is read as it streams in, so
 * the page can say how many rows and bytes have arrived, then saved through a Blob link.
 */
import { dispositionName, saveBlob } from '$lib/save-blob';

export interface ExportProgress {
	rows: number;
	bytes: number;
}

export type ExportResult = { ok: true; rows: number } | { ok: false; message: string };

/** Counts CRLF row ends as they arrive (RFC 4180 rows end in CRLF; the header is not a row). */
export async function downloadCsv(
	path: string,
	onProgress: (progress: ExportProgress) => void,
	signal?: AbortSignal
): Promise<ExportResult> {
	let response: Response;
	try {
		response = await fetch(path, { headers: { accept: 'text/csv' }, signal });
	} catch {
		return { ok: false, message: 'The server could not be reached. Try again.' };
	}
	if (!response.ok || !response.body) {
		const problem = (await response.json().catch(() => null)) as { detail?: string } | null;
		return { ok: false, message: problem?.detail ?? `The export failed (${response.status}).` };
	}
	const chunks: Uint8Array[] = [];
	let bytes = 0;
	let lineEnds = 0;
	let lastByte = 0;
	const reader = response.body.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			chunks.push(value);
			bytes += value.length;
			for (let i = 0; i < value.length; i++) {
				if (value[i] === 10 && (i > 0 ? value[i - 1] : lastByte) === 13) lineEnds++;
			}
			lastByte = value[value.length - 1] ?? lastByte;
			onProgress({ rows: Math.max(0, lineEnds - 1), bytes });
		}
	} catch {
		return { ok: false, message: 'The export was interrupted; the file would be incomplete.' };
	}
	const name = dispositionName(response.headers.get('content-disposition'), 'audit-log.csv');
	saveBlob(new Blob(chunks as BlobPart[], { type: 'text/csv' }), name);
	return { ok: true, rows: Math.max(0, lineEnds - 1) };
}
