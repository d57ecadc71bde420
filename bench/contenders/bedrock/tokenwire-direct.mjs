// tokenwire on Bedrock with `transport: 'direct'`: the SDK sends the request, tokenwire decodes the
// event-stream body itself (the SDK's EventStreamCodec, one async step per network read).
import { bedrockSetup } from './tokenwire.mjs';

export const setups = { bedrock: bedrockSetup({ transport: 'direct' }) };
