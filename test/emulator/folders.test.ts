import { startEmulator, type Emulator } from '../../emulator';
import { client, HEX24, type Client } from './helpers';

describe('emulator: folders', () => {
	let emu: Emulator;
	let api: Client;
	beforeAll(async () => {
		emu = await startEmulator({ rateLimitPerMinute: 0 });
		api = client(emu);
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it('creates an assets folder by default and lists it', async () => {
		const r = await api.post('/folder/create', { name: 'Renders' });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			id: expect.stringMatching(HEX24),
			name: 'Renders',
			type: 'assets',
			parent_folder_id: null,
			created_at: expect.any(String),
		});
		const list = await api.get('/folder/list');
		expect(list.body).toEqual({ folders: [r.body] });
	});

	it('creates subfolders of the same type and filters the list by type', async () => {
		const root = (await api.post('/folder/create', { name: 'Clips', type: 'videos' })).body;
		const sub = (
			await api.post('/folder/create', { name: 'Takes', type: 'videos', parent_folder_id: root.id })
		).body;
		const other = (await api.post('/folder/create', { name: 'Stills', type: 'assets' })).body;
		expect(sub.parent_folder_id).toBe(root.id);
		expect((await api.get('/folder/list?type=videos')).body.folders.map((f: any) => f.id)).toEqual([
			root.id,
			sub.id,
		]);
		expect((await api.get('/folder/list?type=assets')).body.folders.map((f: any) => f.id)).toEqual([
			other.id,
		]);
		expect((await api.get('/folder/list')).body.folders).toHaveLength(3);
	});

	it.each([
		[{}, 'name'],
		[{ name: '  ' }, 'name'],
		[{ name: 3 }, 'name'],
		[{ name: 'a', type: 'images' }, 'type'],
		[{ name: 'a', parent_folder_id: 'ffffffffffffffffffffffff' }, 'parent_folder_id'],
		[{ name: 'a', parent_folder_id: 5 }, 'parent_folder_id'],
	])('rejects %j (field %s)', async (body, field) => {
		const r = await api.post('/folder/create', body);
		expect(r.status).toBe(400);
		expect(r.body.code).toBe('invalid_value');
		expect(r.body.details[0].field).toBe(field);
	});

	it('rejects a parent of the other type', async () => {
		const assets = (await api.post('/folder/create', { name: 'A' })).body;
		const r = await api.post('/folder/create', {
			name: 'B',
			type: 'videos',
			parent_folder_id: assets.id,
		});
		expect(r.status).toBe(400);
		expect(r.body.details[0].field).toBe('parent_folder_id');
	});

	it('rejects an unknown list type', async () => {
		const r = await api.get('/folder/list?type=images');
		expect(r.status).toBe(400);
		expect(r.body.details[0].field).toBe('type');
	});

	it('reset() forgets folders', async () => {
		await api.post('/folder/create', { name: 'A' });
		emu.reset();
		expect((await api.get('/folder/list')).body).toEqual({ folders: [] });
	});
});
