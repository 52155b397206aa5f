import { describe, expect, it } from 'vitest';
import { schemaValidatorFor } from './schema-validator.js';

describe('schemaValidatorFor', () => {
  it('checks standard formats once a spec uses one beyond Appwrite\'s own', async () => {
    const validator = await schemaValidatorFor({ schemas: {}, formats: new Set(['email', 'int32']) });
    const check = validator.checker({ type: 'string', format: 'email' });
    expect(check('ada@example.com')).toEqual([]);
    expect(check('not an email')).toMatchObject([{ kind: 'format-mismatch' }]);
  });

  it('checks Appwrite\'s url format as "parses as a URL", host names without a dot included', async () => {
    const validator = await schemaValidatorFor({ schemas: {}, formats: new Set(['url']) });
    const check = validator.checker({ type: 'string', format: 'url' });
    expect(check('http://localhost/ok')).toEqual([]);
    expect(check('no scheme here')).toMatchObject([{ kind: 'format-mismatch' }]);
  });
});
