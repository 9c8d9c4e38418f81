/** Classic control environments (Gymnasium's `gymnasium.envs.classic_control`), registered on import. */
export {};
