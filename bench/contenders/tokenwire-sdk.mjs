// tokenwire with `transport: 'sdk'`, the escape hatch: the vendor SDK parses the body and the
// adapter translates the chunks it yields (the default, `'direct'`, is the `tokenwire` contender).
import { plainClient, setupsWith } from './tokenwire.mjs';

export const setups = setupsWith(plainClient, { transport: 'sdk' });
