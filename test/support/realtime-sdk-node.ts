import { WebSocket } from 'ws';

/**
 * What the `appwrite` web SDK's realtime needs of a browser, in Node: `window.setTimeout`,
 * `window.localStorage` (where the SDK keeps `cookieFallback`) and a global `WebSocket`, here the `ws`
 * client, which has the browser's `addEventListener` interface. Every frame the SDK's sockets receive is
 * also kept, so that a test can wait for one the SDK does not report (the `authentication` response).
 */
export interface SdkWindow {
  storage: Map<string, string>;
  frames: { type: string; data: Record<string, unknown> }[];
  /** Resolves when a frame of `type` has arrived. */
  frame(type: string): Promise<{ type: string; data: Record<string, unknown> }>;
  /** Resolves once every socket the SDK opened is closed (the SDK closes its socket after the last unsubscribe). */
  allClosed(): Promise<void>;
  /** Puts `globalThis` back as it was. */
  restore(): void;
}

export function installSdkWindow(): SdkWindow {
  const storage = new Map<string, string>();
  const frames: SdkWindow['frames'] = [];
  const waiters: (() => void)[] = [];
  const sockets: WebSocket[] = [];
  class ObservedWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
      this.on('message', (data) => {
        frames.push(JSON.parse(String(data)) as SdkWindow['frames'][number]);
        for (const wake of waiters.splice(0)) wake();
      });
    }
  }
  const global = globalThis as Record<string, unknown>;
  const before = { window: global.window, WebSocket: global.WebSocket };
  global.window = {
    setTimeout,
    clearTimeout,
    console,
    localStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => storage.set(key, value),
      removeItem: (key: string) => storage.delete(key),
    },
  };
  global.WebSocket = ObservedWebSocket;
  return {
    storage,
    frames,
    frame: (type) =>
      new Promise((resolve) => {
        const check = (): void => {
          const found = frames.find((f) => f.type === type);
          if (found) resolve(found);
          else waiters.push(check);
        };
        check();
      }),
    allClosed: async () => {
      for (const socket of sockets) if (socket.readyState !== WebSocket.CLOSED) await new Promise((resolve) => socket.once('close', resolve));
    },
    restore() {
      for (const socket of sockets) socket.terminate();
      global.window = before.window;
      global.WebSocket = before.WebSocket;
    },
  };
}
