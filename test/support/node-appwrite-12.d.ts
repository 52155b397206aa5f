// node-appwrite 12 declares its types as the ambient module "node-appwrite"; it is installed as "node-appwrite-12".
/// <reference path="../../node_modules/node-appwrite-12/index.d.ts" />
declare module 'node-appwrite-12' {
  export * from 'node-appwrite';
}
