import { HooxApi } from '../../credentials/HooxApi.credentials';
import { Hoox } from '../../nodes/Hoox/Hoox.node';
import { HooxTrigger } from '../../nodes/HooxTrigger/HooxTrigger.node';
import { hooxApiConnectionTest } from '../../nodes/shared/credentialTest';

describe('HooxApi credential', () => {
	it('declares a password API key, a Hoox base URL and Bearer authentication', () => {
		const credential = new HooxApi();
		expect(credential.name).toBe('hooxApi');
		expect(credential.properties.map((p) => p.name)).toEqual(['apiKey', 'baseUrl']);
		const apiKey = credential.properties.find((p) => p.name === 'apiKey');
		expect(apiKey?.typeOptions?.password).toBe(true);
		const baseUrl = credential.properties.find((p) => p.name === 'baseUrl');
		expect(baseUrl?.default).toBe('https://app.hoox.video/api/public/v1');
		expect(credential.authenticate.properties.headers).toEqual({
			Authorization: '=Bearer {{$credentials.apiKey}}',
		});
	});

	it('is tested by the nodes: no declarative test, which n8n would run instead of testedBy', () => {
		// n8n's CredentialsTester takes a credential's own `test` first (1.x and 2.x)
		expect(new HooxApi()).not.toHaveProperty('test');
		for (const node of [new Hoox(), new HooxTrigger()]) {
			const entry = node.description.credentials?.find((c) => c.name === 'hooxApi');
			expect(entry?.testedBy).toBe('hooxApiConnectionTest');
			expect(node.methods.credentialTest).toHaveProperty(
				'hooxApiConnectionTest',
				hooxApiConnectionTest,
			);
		}
	});
});
