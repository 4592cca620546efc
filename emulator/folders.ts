/** Asset folders (SPEC §4.6): `POST /folder/create`, `GET /folder/list`. In memory, per emulator. */
import { invalid } from './errors';
import { newId } from './assets';
import { isPlainObject } from './validation';

export interface Folder {
	id: string;
	name: string;
	type: 'assets' | 'videos';
	parent_folder_id: string | null;
	created_at: string;
}

const TYPES = ['assets', 'videos'];

export class FolderStore {
	private folders: Folder[] = [];

	create(body: unknown): Folder {
		if (!isPlainObject(body))
			throw invalid('body', 'Request body must be a JSON object', 'invalid_value');
		const { name, type, parent_folder_id: parent } = body;
		if (typeof name !== 'string' || !name.trim())
			throw invalid('name', 'name is required', 'invalid_value');
		if (name.length > 255)
			throw invalid('name', 'name must be at most 255 characters', 'invalid_value');
		if (
			type !== undefined &&
			type !== null &&
			(typeof type !== 'string' || !TYPES.includes(type))
		) {
			throw invalid('type', "type must be 'assets' or 'videos'", 'invalid_value');
		}
		const folderType = (type ?? 'assets') as Folder['type'];
		if (parent !== undefined && parent !== null) {
			if (typeof parent !== 'string')
				throw invalid('parent_folder_id', 'parent_folder_id must be a string', 'invalid_value');
			const p = this.folders.find((f) => f.id === parent);
			if (!p)
				throw invalid('parent_folder_id', `Folder '${parent}' does not exist`, 'invalid_value');
			if (p.type !== folderType) {
				throw invalid(
					'parent_folder_id',
					`Folder '${parent}' is a '${p.type}' folder, not '${folderType}'`,
					'invalid_value',
				);
			}
		}
		const folder: Folder = {
			id: newId(),
			name: name.trim(),
			type: folderType,
			parent_folder_id: (parent as string | null | undefined) ?? null,
			created_at: new Date().toISOString(),
		};
		this.folders.push(folder);
		return { ...folder };
	}

	list(type: string | null): { folders: Folder[] } {
		if (type !== null && type !== '' && !TYPES.includes(type))
			throw invalid('type', "type must be 'assets' or 'videos'", 'invalid_value');
		const folders = type ? this.folders.filter((f) => f.type === type) : this.folders;
		return { folders: folders.map((f) => ({ ...f })) };
	}

	reset(): void {
		this.folders = [];
	}
}
