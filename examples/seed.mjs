// Seeds a fresh cognito-local with the demo's user pool, app client and user.
//   node seed.mjs <cognito-local URL> <username> <password>
// Prints shell assignments (COGNITO_USER_POOL_ID=..., COGNITO_CLIENT_ID=...) for examples/run.
// cognito-local speaks AWS JSON 1.1 without checking signatures, so plain fetch does it: no AWS
// SDK, no credentials.
const [endpoint, username, password] = process.argv.slice(2);
if (!endpoint || !username || !password) {
  console.error('usage: node seed.mjs <cognito-local URL> <username> <password>');
  process.exit(2);
}

async function call(operation, body) {
  const response = await fetch(endpoint + '/', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.' + operation,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${operation}: HTTP ${response.status} ${text}`);
  }
  return text ? JSON.parse(text) : {};
}

const { UserPool } = await call('CreateUserPool', { PoolName: 'cognito-revoke-demo', UsernameAttributes: [] });
const { UserPoolClient } = await call('CreateUserPoolClient', {
  UserPoolId: UserPool.Id,
  ClientName: 'demo-web',
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  EnableTokenRevocation: true,
});
await call('AdminCreateUser', { UserPoolId: UserPool.Id, Username: username, MessageAction: 'SUPPRESS' });
await call('AdminSetUserPassword', { UserPoolId: UserPool.Id, Username: username, Password: password, Permanent: true });

console.log(`COGNITO_USER_POOL_ID=${UserPool.Id}`);
console.log(`COGNITO_CLIENT_ID=${UserPoolClient.ClientId}`);
