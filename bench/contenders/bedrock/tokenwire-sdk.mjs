// tokenwire on Bedrock with `transport: 'sdk'`, the escape hatch: the SDK decodes the event stream
// (the default, `'direct'`, is the `tokenwire` contender).
import { bedrockSetup } from './tokenwire.mjs';

export const setups = { bedrock: bedrockSetup({ transport: 'sdk' }) };
