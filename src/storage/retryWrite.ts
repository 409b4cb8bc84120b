// Retries a write whose loss would cost something that cannot be re-created (a rotated refresh token).
export const WRITE_RETRY_DELAYS_MS: readonly number[] = [50, 250, 1_000];

export async function retryWrite<T>(
  write: () => Promise<T>,
  delaysMs: readonly number[] = WRITE_RETRY_DELAYS_MS,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      const delay = delaysMs[attempt];
      if (delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
