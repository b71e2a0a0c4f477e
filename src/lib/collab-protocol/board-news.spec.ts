import { describe, expect, it } from 'vitest';
import { boardNewsMessage, readBoardNews } from './board-news.ts';

describe('board news', () => {
	it('reads back what the server sends', () => {
		expect(readBoardNews(boardNewsMessage(false))).toEqual({
			events: true,
			members: false,
			comments: {}
		});
		expect(readBoardNews(boardNewsMessage(true))).toEqual({
			events: true,
			members: true,
			comments: {}
		});
		expect(readBoardNews(boardNewsMessage(false, { t1: 3, t2: null }))).toEqual({
			events: true,
			members: false,
			comments: { t1: 3, t2: null }
		});
	});

	it('ignores other stateless payloads and malformed comment counts', () => {
		const nothing = { events: false, members: false, comments: {} };
		expect(readBoardNews('not json')).toEqual(nothing);
		expect(readBoardNews('{"type":"other","members":true}')).toEqual(nothing);
		expect(
			readBoardNews('{"type":"events","comments":{"a":-1,"b":"2","c":1.5,"d":2,"e":null}}')
		).toEqual({ events: true, members: false, comments: { d: 2, e: null } });
		expect(readBoardNews('{"type":"events","comments":[1]}').comments).toEqual({});
	});
});
