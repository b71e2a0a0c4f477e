import { describe, expect, it } from 'vitest';
import { boardNewsMessage, readBoardNews } from './board-news.ts';

describe('board news', () => {
	it('reads back what the server sends', () => {
		expect(readBoardNews(boardNewsMessage(false))).toEqual({ events: true, members: false });
		expect(readBoardNews(boardNewsMessage(true))).toEqual({ events: true, members: true });
	});

	it('ignores other stateless payloads', () => {
		expect(readBoardNews('not json')).toEqual({ events: false, members: false });
		expect(readBoardNews('{"type":"other","members":true}')).toEqual({
			events: false,
			members: false
		});
	});
});
