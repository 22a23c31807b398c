import type { ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

/** No simulator, no errors, no limits: Adyen makes no call (see adyen.connector.ts). */
export const fixture: ConnectorTestFixture = {
  credentials: { api_key: 'AQEyhmfxFixtureAdyenTestKey0042', merchant_account: 'FixtureMerchantECOM' },
  idPattern: /^cs_[a-z2-7]{26}$/,
  errorCases: [],
  limitCases: [],
  // A shopperReference carries no details: get answers an empty record.
  recordsEmail: false,
};
