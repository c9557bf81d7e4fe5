import { describe, expect, it } from 'vitest';
import { parseOpenSshPrivateKey } from '../../src/backends/encord/ssh-key.js';
import { computeContentDigest, createdFor, signV1Body, signV2Request } from '../../src/backends/encord/signing.js';
import { vectorKey } from '../fake-encord/ssh-keys.js';

const key = parseOpenSshPrivateKey(vectorKey().text);

describe('v2 signing (encord-api.md §1.2 test vector)', () => {
  const body = Buffer.from(
    '[{"taskUuid": "22222222-2222-2222-2222-222222222222", "action": "PATHWAY_ACTION", "pathwayName": "Approve"}]',
  );
  const headers = signV2Request(
    { method: 'post', requestTarget: '/v2/public/projects/PH/workflow/stages/SU/actions', body, created: 1700000000 },
    key,
  );

  it('reproduces Content-Digest byte for byte', () => {
    expect(headers['Content-Digest']).toBe('sha-256=:VJr6yWneNZWq4M/zAxkNTc1IGniH93avTwkLqTBrAPQ=:');
  });

  it('reproduces Signature byte for byte', () => {
    expect(headers.Signature).toBe(
      'encord-sig=:EX8ck5C4dHDHYxKVEoH6W5NZwNT3O5zwhG2e9VqOoDRwifYyPHq16Pe/x2CS0mqtbU/tb0fjRvjruc0980k0BA==:',
    );
  });

  it('writes Signature-Input with created, keyid and alg', () => {
    expect(headers['Signature-Input']).toBe(
      'encord-sig=("@method" "@request-target" "content-digest");created=1700000000;' +
        'keyid="03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";alg="ed25519"',
    );
  });

  it('digests the empty body as documented', () => {
    expect(computeContentDigest(Buffer.alloc(0))).toBe('sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:');
  });

  it('signs created = floor(now) - 30', () => {
    expect(createdFor(1_700_000_030_999)).toBe(1_700_000_000);
  });

  it('changes the signature when the request target changes', () => {
    const other = signV2Request(
      { method: 'POST', requestTarget: '/v2/public/projects/PH/workflow/stages/SV/actions', body, created: 1700000000 },
      key,
    );
    expect(other.Signature).not.toBe(headers.Signature);
  });
});

describe('v1 signing (encord-api.md §1.3 test vector)', () => {
  it('reproduces the Authorization header byte for byte', () => {
    const data =
      '{"query_type": "labelrowmetadata", "query_method": "GET", "values": {"uid": null, "payload": ' +
      '{"data_hashes": ["55555555-5555-5555-5555-555555555555"], "include_uninitialised_labels": true}}}';
    expect(signV1Body(Buffer.from(data), key)).toBe(
      '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8:' +
        '68a73e3007c805200e0c4c3f7e83635b986d8b30594fbf6dfaf6873079e8fe1b4e732abb6536d2a096ff5a636e53e6c9e25e7f065b83192d083c1a6bd68d3408',
    );
  });
});
