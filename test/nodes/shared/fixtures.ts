/** The emulator's model catalogue (the shape of GET /asset/models/{name}), read fresh for each call. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ModelDetail } from '../../../nodes/shared/modelSchema';

const MODELS_JSON = path.join(__dirname, '..', '..', '..', 'emulator', 'fixtures', 'models.json');

export function loadModels(): ModelDetail[] {
	return JSON.parse(fs.readFileSync(MODELS_JSON, 'utf8')) as ModelDetail[];
}

export function loadModel(name: string): ModelDetail {
	const model = loadModels().find((m) => m.name === name);
	if (!model) throw new Error(`model ${name} is not in ${MODELS_JSON}`);
	return model;
}
