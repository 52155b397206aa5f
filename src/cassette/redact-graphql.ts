import type { ConstValueNode, ValueNode } from 'graphql/language/index.js';
import { lazyRequire } from '../model/lazy-require.js';

// The language part only, on the first GraphQL body: the whole package costs some 70 ms of start-up, this about 17.
const language = lazyRequire<typeof import('graphql/language/index.js')>('graphql/language/index.js');

/**
 * A GraphQL document with the values of secret-named arguments, input fields and variable defaults
 * replaced by `placeholder`: `mutation { accountCreate(userId: "u", password: "pw") { $id } }` keeps
 * its shape and loses the password. A document that does not parse is replaced whole: what it holds
 * cannot be told apart, and Appwrite refuses it anyway. Unchanged documents come back as they were.
 *
 * @note Parsed with the reference implementation (`graphql`), not by pattern: a secret can sit in a
 * block string, behind comments, in a nested input object or a list, where a pattern misses it.
 */
export function redactGraphql(document: string, secret: (name: string) => boolean, placeholder: string): string {
  const { Kind, parse, print, visit } = language();
  let ast;
  try {
    ast = parse(document, { noLocation: true });
  } catch {
    return document.trim() === '' ? document : placeholder;
  }
  let changed = false;
  const hidden = (value: ValueNode): ValueNode => {
    // A variable reference carries no value; its value is in `variables`, redacted as JSON.
    if (value.kind === Kind.VARIABLE || value.kind === Kind.NULL || value.kind === Kind.BOOLEAN) return value;
    if (value.kind === Kind.LIST) return { ...value, values: value.values.map(hidden) };
    if (value.kind === Kind.OBJECT) return { ...value, fields: value.fields.map((field) => ({ ...field, value: hidden(field.value) })) };
    if (value.kind === Kind.STRING && value.value === '') return value;
    changed = true;
    return { kind: Kind.STRING, value: placeholder };
  };
  const redacted = visit(ast, {
    Argument: (node) => (secret(node.name.value) ? { ...node, value: hidden(node.value) } : undefined),
    ObjectField: (node) => (secret(node.name.value) ? { ...node, value: hidden(node.value) } : undefined),
    VariableDefinition: (node) =>
      node.defaultValue && secret(node.variable.name.value) ? { ...node, defaultValue: hidden(node.defaultValue) as ConstValueNode } : undefined,
  });
  return changed ? print(redacted) : document;
}
