/** The Encord platform backend: see docs/encord.md. */
export { EncordBackend, createEncordBackendFromEnv, isEncordProjectHash, type EncordBackendEnvOptions } from './encord-backend.js';
export { ENCORD_ENV, hasEncordCredentials, loadEncordCredentials, type EncordCredentials, type CredentialIO } from './credentials.js';
export { parseOpenSshPrivateKey, type SigningKey } from './ssh-key.js';
export { signV1Body, signV2Request, computeContentDigest, createdFor } from './signing.js';
export { EncordHttpClient, resolveEncordDomain, DEFAULT_ENCORD_DOMAIN, type EncordHttpOptions, type HttpLogEvent } from './http-client.js';
export { EncordApiError } from './errors.js';
