/** RFC 3161 timestamps: checked client with fallback, token builder/verifier, local TSA server. */
export { TsaClient, TsaError, checkToken, type TsaClientOptions, type TimestampSource } from './client.ts';
export {
  DEMO_TSA_POLICY, TimestampCheckError, createTimeStampToken, createTimeStampResponse, createRejection, encodeTimeStampRequest,
  parseTimeStampRequest, parseTimeStampResponse, verifyTimeStampToken,
  type TimeStampRequest, type TokenInfo, type TsaIdentity,
} from './token.ts';
export { createTsaServer, listen, type TsaServerOptions } from './server.ts';
export { LocalTimestampSource } from './local.ts';
