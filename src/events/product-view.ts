/** A product as the API answers it. */
export const productView = (p: { id: number; slug: string; name: string; createdAt: string }) => ({ id: p.id, slug: p.slug, name: p.name, created_at: p.createdAt });
