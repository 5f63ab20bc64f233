//! Files and links: GSD trajectories, CSV, the share-link codec.
