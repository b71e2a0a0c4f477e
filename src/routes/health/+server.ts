import { json } from '$lib/server/http/endpoint';

export const GET = () => json({ status: 'ok' });
