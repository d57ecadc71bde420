// tokenwire with `transport: 'direct'`: the vendor SDK sends the request, tokenwire reads the 200
// body itself (one async step per network read, every record of it translated synchronously).
import { plainClient, setupsWith } from './tokenwire.mjs';

export const setups = setupsWith(plainClient, { transport: 'direct' });
