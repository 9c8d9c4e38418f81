/**
 * MJCF of the two-link reacher (Gymnasium's `reacher.xml`): two 0.1 m capsule links on z-hinges (the
 * second limited to ±3 rad), a fingertip body 0.11 m along the second link, an arena of four capsule
 * walls, and a target body on two slide joints (±0.27 m); two motors (gear 200, control ±1), RK4 at
 * 10 ms. Same bodies, joints, geoms and options; visuals omitted.
 */
export const REACHER_MJCF = `
<mujoco model="reacher">
  <compiler angle="radian" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4" gravity="0 0 -9.81"/>
  <default>
    <joint limited="true" armature="1" damping="1"/>
    <geom contype="0" friction="1 0.1 0.1"/>
  </default>
  <worldbody>
    <geom name="ground" type="plane" size="1 1 10" pos="0 0 0" contype="0" conaffinity="0"/>
    <geom name="sideS" type="capsule" size=".02" fromto="-.3 -.3 .01 .3 -.3 .01" conaffinity="0"/>
    <geom name="sideE" type="capsule" size=".02" fromto=".3 -.3 .01 .3 .3 .01" conaffinity="0"/>
    <geom name="sideN" type="capsule" size=".02" fromto="-.3 .3 .01 .3 .3 .01" conaffinity="0"/>
    <geom name="sideW" type="capsule" size=".02" fromto="-.3 -.3 .01 -.3 .3 .01" conaffinity="0"/>
    <geom name="root" type="cylinder" size=".011" fromto="0 0 0 0 0 0.02" contype="0" conaffinity="0"/>
    <body name="body0" pos="0 0 .01">
      <geom name="link0" type="capsule" size=".01" fromto="0 0 0 0.1 0 0"/>
      <joint name="joint0" type="hinge" axis="0 0 1" pos="0 0 0" limited="false"/>
      <body name="body1" pos="0.1 0 0">
        <joint name="joint1" type="hinge" axis="0 0 1" pos="0 0 0" limited="true" range="-3.0 3.0"/>
        <geom name="link1" type="capsule" size=".01" fromto="0 0 0 0.1 0 0"/>
        <body name="fingertip" pos="0.11 0 0">
          <geom name="fingertip" type="sphere" size=".01" pos="0 0 0" contype="0"/>
        </body>
      </body>
    </body>
    <body name="target" pos=".1 -.1 .01">
      <joint name="target_x" type="slide" axis="1 0 0" pos="0 0 0" limited="true" range="-.27 .27" ref=".1" armature="0" damping="0" stiffness="0"/>
      <joint name="target_y" type="slide" axis="0 1 0" pos="0 0 0" limited="true" range="-.27 .27" ref="-.1" armature="0" damping="0" stiffness="0"/>
      <geom name="target" type="sphere" size=".009" pos="0 0 0" contype="0" conaffinity="0"/>
    </body>
  </worldbody>
  <actuator>
    <motor name="joint0" joint="joint0" gear="200.0" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="joint1" joint="joint1" gear="200.0" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;
