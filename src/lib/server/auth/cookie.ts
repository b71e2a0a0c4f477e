import type { Cookies } from '@sveltejs/kit';

/** `__Host-` pins the cookie to this exact origin, but browsers only accept it over https. */
export function sessionCookieName(secure: boolean): string {
	return secure ? '__Host-tf_session' : 'tf_session';
}

export function readSessionCookie(cookies: Cookies): string | null {
	return cookies.get(sessionCookieName(true)) ?? cookies.get(sessionCookieName(false)) ?? null;
}

export function setSessionCookie(cookies: Cookies, url: URL, sessionId: string, expiresAt: Date) {
	const secure = url.protocol === 'https:';
	cookies.set(sessionCookieName(secure), sessionId, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		expires: expiresAt
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL) {
	const secure = url.protocol === 'https:';
	cookies.delete(sessionCookieName(secure), { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
