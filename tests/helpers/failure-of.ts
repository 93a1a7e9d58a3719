/**
 * The error `promise` rejects with; fails the test when it resolves. Where a test inspects an
 * error, this keeps it from passing when the operation succeeds (a bare `.catch((e) => e)` would).
 */
export async function failureOf(promise: Promise<unknown>): Promise<any> {
    try {
        await promise;
    } catch (error) {
        return error;
    }
    throw new Error("expected a failure, but the operation succeeded");
}
