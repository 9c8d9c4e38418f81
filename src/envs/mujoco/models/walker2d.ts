/**
 * MJCF of the planar biped (Gymnasium's `walker2d_v5.xml` for Walker2d-v5): a torso with two legs of
 * thigh/leg/foot capsules (feet friction 1.9, both feet equal), planar root, six hinge motors (gear
 * 100, control ±1), RK4 at 2 ms. Same bodies, joints, geoms, defaults and options; visuals omitted.
 */
const leg = (suffix: string) => `
      <body name="thigh${suffix}" pos="0 0 -0.2">
        <joint name="thigh${suffix}_joint" type="hinge" axis="0 -1 0" pos="0 0 0" range="-150 0"/>
        <geom name="thigh${suffix}_geom" type="capsule" size="0.05 0.225" pos="0 0 -0.225" friction="0.9"/>
        <body name="leg${suffix}" pos="0 0 -0.7">
          <joint name="leg${suffix}_joint" type="hinge" axis="0 -1 0" pos="0 0 0.25" range="-150 0"/>
          <geom name="leg${suffix}_geom" type="capsule" size="0.04 0.25" friction="0.9"/>
          <body name="foot${suffix}" pos="0.2 0 -0.35">
            <joint name="foot${suffix}_joint" type="hinge" axis="0 -1 0" pos="-0.2 0 0.1" range="-45 45"/>
            <geom name="foot${suffix}_geom" type="capsule" size="0.06 0.1" pos="-0.1 0 0.1" quat="0.70710678118654757 0 -0.70710678118654746 0" friction="1.9"/>
          </body>
        </body>
      </body>`;

export const WALKER2D_MJCF = `
<mujoco model="walker2d">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.002" integrator="RK4"/>
  <default>
    <joint limited="true" armature="0.01" damping=".1"/>
    <geom contype="1" conaffinity="0" condim="3" density="1000" friction=".7 .1 .1"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 40" pos="0 0 0" conaffinity="1" condim="3"/>
    <body name="torso" pos="0 0 1.25">
      <joint name="rootx" type="slide" axis="1 0 0" pos="0 0 -1.25" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rootz" type="slide" axis="0 0 1" pos="0 0 -1.25" ref="1.25" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rooty" type="hinge" axis="0 1 0" pos="0 0 0" limited="false" armature="0" damping="0" stiffness="0"/>
      <geom name="torso_geom" type="capsule" size="0.05 0.2" friction="0.9"/>${leg('')}${leg('_left')}
    </body>
  </worldbody>
  <actuator>
    <motor name="thigh" joint="thigh_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="leg" joint="leg_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="foot" joint="foot_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="thigh_left" joint="thigh_left_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="leg_left" joint="leg_left_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="foot_left" joint="foot_left_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;
