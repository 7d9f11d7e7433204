// The service's clock as this browser sees it, so "12 s ago" is counted in the service's time even on a laptop whose
// clock is wrong.
let offset = 0;

export const serviceNow = () => Date.now() + offset;

// The service read its clock somewhere between sending and receiving; the midpoint is the best guess.
export const offsetFrom = (serverTime, sentAt, receivedAt) => Date.parse(serverTime) - (sentAt + receivedAt) / 2;

export function synchronise(serverTime, sentAt, receivedAt) {
  offset = offsetFrom(serverTime, sentAt, receivedAt);
}
